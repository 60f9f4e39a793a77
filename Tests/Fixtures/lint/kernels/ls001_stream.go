package main

import (
	"errors"
	"time"
)

type checkin struct{ token string }

// Agent_CheckinServer stands in for a gRPC-generated server stream: the stream of one call of a
// stream handler, ended by gRPC when the handler returns.
type Agent_CheckinServer interface {
	Recv() (*checkin, error)
	Send(*checkin) error
}

// agentService stands in for a gRPC service implementation: gRPC calls its stream handlers.
type agentService struct{ stop chan struct{} }

// Low: the reader takes one message from the handler's own stream; when the handler gives up and
// returns, the stream ends and the read fails into the close, so only a message that arrives as
// the handler gives up strands it.
func (a *agentService) Checkin(stream Agent_CheckinServer) error {
	first := make(chan *checkin)
	go func() {
		msg, err := stream.Recv()
		if err != nil {
			close(first)
			return
		}
		first <- msg // want "LS001" low
	}()
	select {
	case msg, ok := <-first:
		if !ok {
			return nil
		}
		return stream.Send(msg)
	case <-time.After(5 * time.Second):
		return errors.New("no initial check-in")
	}
}

// Leaks: the reader goes on receiving; every message read while the handler gives up blocks it.
func (a *agentService) CheckinAll(stream Agent_CheckinServer) error {
	msgs := make(chan *checkin)
	go func() {
		for {
			msg, err := stream.Recv()
			if err != nil {
				close(msgs)
				return
			}
			msgs <- msg // want "LS001"
		}
	}()
	for {
		select {
		case msg, ok := <-msgs:
			if !ok {
				return nil
			}
			if err := stream.Send(msg); err != nil {
				return err
			}
		case <-a.stop:
			return errors.New("check-ins stopped")
		}
	}
}

// Leaks: the same single read in a helper the handler calls once per message: the helper's return
// does not end the stream, so the reader left behind takes the next message and blocks.
func (a *agentService) firstOf(stream Agent_CheckinServer) error {
	first := make(chan *checkin)
	go func() {
		msg, err := stream.Recv()
		if err != nil {
			close(first)
			return
		}
		first <- msg // want "LS001"
	}()
	select {
	case msg, ok := <-first:
		if !ok {
			return nil
		}
		return stream.Send(msg)
	case <-time.After(5 * time.Second):
		return errors.New("no check-in")
	}
}

// Each runs firstOf until it fails.
func (a *agentService) Each(stream Agent_CheckinServer) error {
	for {
		if err := a.firstOf(stream); err != nil {
			return err
		}
	}
}
