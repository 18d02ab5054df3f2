package worker

import (
	"bytes"

	"github.com/nats-io/nats.go"
)

func (w *Worker) onPaid(m *nats.Msg) {
	w.receipt(m.Data) // lessons: expect[consumer-idempotency]
}

func (w *Worker) receipt(data []byte) {
	w.client.Post(w.hook+"/receipts", "application/json", bytes.NewReader(data))
}
