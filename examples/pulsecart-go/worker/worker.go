// Package worker turns orders.created.v1 events into customer notifications.
package worker

import (
	"encoding/json"
	"log"

	"github.com/nats-io/nats.go"
)

type orderCreated struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	RequestID  string `json:"request_id"`
}

type Worker struct {
	NATS     *nats.Conn
	Notifier *Notifier
}

// Start subscribes to new orders. NATS may deliver an event twice (a reconnect, a redelivery
// after a slow ack), and nothing here remembers which orders were already announced.
func (w *Worker) Start() (*nats.Subscription, error) {
	return w.NATS.Subscribe("orders.created.v1", func(m *nats.Msg) {
		var event orderCreated
		if err := json.Unmarshal(m.Data, &event); err != nil {
			log.Printf("worker: bad event: %v", err)
			return
		}
		if err := w.Notifier.OrderConfirmed(event.ID, event.CustomerID); err != nil {
			log.Printf("worker: request_id=%s notify failed: %v", event.RequestID, err)
			return
		}
		log.Printf("worker: request_id=%s notified order %s", event.RequestID, event.ID)
	})
}
