package main

import (
	"errors"
	"net/http"
	"os"
	"time"
)

// exportCmd is a command in go-flags' style: the tool runs Execute and exits when it returns.
type exportCmd struct{ Path string }

func copyOut(path string) error {
	_, err := os.Stat(path)
	return err
}

// Low: the copy's error is sent to nobody when Execute gives up, but the tool exits then.
func (c *exportCmd) Execute(args []string) error {
	done := make(chan error)
	go func() {
		done <- copyOut(c.Path) // want "LS001" low
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return errors.New("export timed out")
	}
}

// Leaks: the same shape in a method that is not a command's Execute; its callers run on.
func (c *exportCmd) ExecuteWithin(limit time.Duration) error {
	done := make(chan error)
	go func() {
		done <- copyOut(c.Path) // want "LS001"
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		return errors.New("export timed out")
	}
}

// statusCmd prints the status of each URL it is given.
type statusCmd struct{ URL string }

// Low: one response held until the command, and the tool, ends; the URLs of args leak one
// connection each while the loop runs on.
func (c *statusCmd) Execute(args []string) error {
	resp, err := http.Get(c.URL) // want "LS004" low
	if err != nil {
		return err
	}
	println(resp.StatusCode)
	for _, u := range args {
		each, err := http.Get(u) // want "LS004"
		if err != nil {
			return err
		}
		println(each.StatusCode)
	}
	return nil
}
