package svc

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The requests go to a handler written in the test: a fresh fake each run, nothing to remember
// the key by.
func TestMailerSendsTheKey(t *testing.T) {
	t.Run("header", func(t *testing.T) {
		var got string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = r.Header.Get("Idempotency-Key")
		}))
		defer srv.Close()
		m := Mailer{BaseURL: srv.URL}
		_ = m.Send(Message{To: "a@example.test", IdempotencyKey: "digest/team_1:2026-05"})
		if got != "digest/team_1:2026-05" {
			t.Fatal(got)
		}
	})
}
