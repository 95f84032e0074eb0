// On Frappe's /login page: a link to /mall-login, where a buyer logs in by scanning a QR code with their phone.
document.addEventListener("DOMContentLoaded", () => {
	if (location.pathname !== "/login") return;
	const form = document.querySelector(".login-content.page-card .form-login, .form-login");
	if (!form || document.getElementById("b2b-qr-login")) return;
	const p = document.createElement("p");
	p.className = "text-center mt-3";
	const a = document.createElement("a");
	a.id = "b2b-qr-login";
	a.href = "/mall-login";
	a.textContent = (window.__ ? __("Scan to log in") : "Scan to log in");
	p.appendChild(a);
	form.parentNode.appendChild(p);
});
