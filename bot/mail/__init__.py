"""E-mail to patients: a durable outbox and an SMTP sender (the standard library's smtplib)."""
