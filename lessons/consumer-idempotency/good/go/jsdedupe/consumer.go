// Package jsdedupe relies on JetStream's own deduplication: the stream drops a message whose
// Nats-Msg-Id it saw within the window, so the consumer never receives the copy.
package jsdedupe

import (
	"context"
	"net/http"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

func Stream(ctx context.Context, js jetstream.JetStream) (jetstream.Stream, error) {
	return js.CreateStream(ctx, jetstream.StreamConfig{
		Name:       "ORDERS",
		Subjects:   []string{"orders.>"},
		Duplicates: 2 * time.Hour,
	})
}

func Run(cons jetstream.Consumer, hook string) {
	cons.Consume(func(msg jetstream.Msg) {
		http.Post(hook, "application/json", nil)
		msg.Ack()
	})
}
