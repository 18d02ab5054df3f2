package notify

import (
	"bytes"
	"net/http"
)

// Send is one message to a customer per call.
func Send(url string, body []byte) error {
	_, err := http.Post(url, "application/json", bytes.NewReader(body))
	return err
}
