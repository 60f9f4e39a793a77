package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
)

// Low: the reader waits on standard input for the user's answer. It is stranded only when the
// prompt is cancelled (Ctrl-C), and a command-line tool exits then.
func askUser(ctx context.Context, question string) (string, error) {
	fmt.Fprint(os.Stderr, question)
	answers := make(chan string)
	go func() {
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		answers <- strings.TrimSpace(line) // want "LS001" low
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case a := <-answers:
		return a, nil
	}
}

// Low: a scanner of standard input made before the goroutine.
func askName(ctx context.Context) (string, error) {
	in := bufio.NewScanner(os.Stdin)
	names := make(chan string)
	go func() {
		in.Scan()
		names <- in.Text() // want "LS001" low
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case n := <-names:
		return n, nil
	}
}

// Low: fmt.Scanln reads standard input too.
func askConfirmation(ctx context.Context) (bool, error) {
	replies := make(chan string)
	go func() {
		var reply string
		fmt.Scanln(&reply)
		replies <- reply // want "LS001" low
	}()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case r := <-replies:
		return r == "y", nil
	}
}

// Leaks: the same exchange with a peer's connection. Each cancelled exchange strands one reader,
// and a server runs one per request.
func askPeer(ctx context.Context, conn net.Conn) (string, error) {
	lines := make(chan string)
	go func() {
		line, _ := bufio.NewReader(conn).ReadString('\n')
		lines <- line // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case l := <-lines:
		return l, nil
	}
}

// Leaks: a server's attach stream called stdin is not the process's standard input. Each attach
// that ends on the output side strands the input copier.
func attachStreams(conn net.Conn, stdin io.Reader, stdout io.Writer) error {
	stdinDone := make(chan error)
	go func() {
		_, err := io.Copy(conn, stdin)
		stdinDone <- err // want "LS001"
	}()
	outputDone := make(chan error, 1)
	go func() {
		_, err := io.Copy(stdout, conn)
		outputDone <- err
	}()
	select {
	case err := <-outputDone:
		return err
	case err := <-stdinDone:
		return err
	}
}

// Leaks: standard input is only asked whether it is a terminal; the goroutine reads a peer.
func askPeerShowingProgress(ctx context.Context, conn net.Conn) (string, error) {
	info, err := os.Stdin.Stat()
	interactive := err == nil && info.Mode()&os.ModeCharDevice != 0
	replies := make(chan string)
	go func() {
		line, _ := bufio.NewReader(conn).ReadString('\n')
		if interactive {
			fmt.Fprint(os.Stderr, ".")
		}
		replies <- line // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-replies:
		return r, nil
	}
}

// readKey reads one byte of the user's answer from the process's standard input.
func readKey() (byte, error) {
	in := os.Stdin
	var key [1]byte
	_, err := in.Read(key[:])
	return key[0], err
}

// Low: the goroutine asks a helper of the package, and the helper reads standard input.
func confirmOverwrite(ctx context.Context) (bool, error) {
	keys := make(chan byte)
	go func() {
		k, _ := readKey()
		keys <- k // want "LS001" low
	}()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case k := <-keys:
		return k == 'y', nil
	}
}

// readPeerKey reads one byte of a peer's answer.
func readPeerKey(conn net.Conn) (byte, error) {
	var key [1]byte
	_, err := conn.Read(key[:])
	return key[0], err
}

// Leaks: the same shape, but the helper reads a peer's connection, once per request.
func confirmPeer(ctx context.Context, conn net.Conn) (bool, error) {
	keys := make(chan byte)
	go func() {
		k, _ := readPeerKey(conn)
		keys <- k // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case k := <-keys:
		return k == 'y', nil
	}
}

// readSource reads standard input only when asked for "-", a file otherwise.
func readSource(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(path)
}

// Leaks: the helper reads standard input only for "-"; a server reading files per request
// strands one reader per timed-out request.
func loadWithin(ctx context.Context, path string) ([]byte, error) {
	loaded := make(chan []byte)
	go func() {
		data, _ := readSource(path)
		loaded <- data // want "LS001"
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case data := <-loaded:
		return data, nil
	}
}
