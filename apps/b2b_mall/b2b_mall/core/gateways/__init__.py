"""One module per payment provider; each defines `Gateway`, a core.payment_gateway.PaymentGateway."""
