package main

import (
	"log"
	"os"
	"os/signal"

	"github.com/nats-io/nats.go"

	"example.com/pulsecart/worker"
)

func main() {
	nc, err := nats.Connect(os.Getenv("NATS_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer nc.Drain()
	w := &worker.Worker{NATS: nc, Notifier: &worker.Notifier{BaseURL: os.Getenv("NOTIFICATIONS_URL")}}
	if _, err := w.Start(); err != nil {
		log.Fatal(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
}
