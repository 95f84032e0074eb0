// B2B Mall on the Customer form: "Invite buyer" makes a signed, single-use invitation link (and its QR
// code) for a new buyer of this customer, as an Orderer or an Approver (their role on Portal Users).
frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new() || !frm.has_perm("write")) return;
		frm.add_custom_button(__("Invite buyer"), () => b2b_mall_invite_buyer(frm));
	},
});

function b2b_mall_invite_buyer(frm) {
	const d = new frappe.ui.Dialog({
		title: __("Invite buyer"),
		fields: [
			{ fieldname: "email", fieldtype: "Data", options: "Email", label: __("Email"), reqd: 1 },
			{
				fieldname: "role", fieldtype: "Select", label: __("Buyer Role"), reqd: 1, default: "Orderer",
				options: [
					{ value: "Orderer", label: __("Orderer") },
					{ value: "Approver", label: __("Approver") },
				],
			},
		],
		primary_action_label: __("Create invitation"),
		primary_action(values) {
			frappe.call({
				method: "b2b_mall.api.buyers.invite",
				args: { customer: frm.doc.name, email: values.email, role: values.role },
				freeze: true,
				callback(r) {
					if (!r.message) return;
					d.hide();
					b2b_mall_show_invitation(r.message, values.email);
				},
			});
		},
	});
	d.show();
}

function b2b_mall_show_invitation(inv, email) {
	const esc = frappe.utils.escape_html;
	const d = new frappe.ui.Dialog({
		title: __("Invitation for {0}", [esc(email)]),
		fields: [{ fieldname: "body", fieldtype: "HTML" }],
	});
	d.fields_dict.body.$wrapper.html(`
		<p>${esc(__("Send this link to the buyer, or let them scan the code. It works once, until {0}.", [frappe.datetime.str_to_user(inv.expires_on)]))}</p>
		<div class="text-center"><img class="b2b-invite-qr" alt="QR" style="width: 220px; height: 220px"></div>
		<div class="input-group mt-3">
			<input class="form-control b2b-invite-url" readonly>
			<div class="input-group-append"><button class="btn btn-default b2b-invite-copy">${esc(__("Copy"))}</button></div>
		</div>`);
	const $w = d.fields_dict.body.$wrapper;
	$w.find(".b2b-invite-qr").attr("src", inv.qr);
	$w.find(".b2b-invite-url").val(inv.url);
	$w.find(".b2b-invite-copy").on("click", () => frappe.utils.copy_to_clipboard(inv.url));
	d.show();
}
