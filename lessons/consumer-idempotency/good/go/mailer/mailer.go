// Package mailer imports no NATS package: its SendMail calls are not a consumer's.
package mailer

import "net/smtp"

func Welcome(to string) error {
	return smtp.SendMail("mail:25", nil, "shop@example.com", []string{to}, []byte("welcome"))
}
