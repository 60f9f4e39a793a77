package main

// A source hands out a channel it makes and closes itself (a feed of events from another package).
type eventSource interface {
	Subscribe() (<-chan string, error)
}

type tailer struct {
	arrivals <-chan string
	rewound  chan string
	replayed chan string
	err      error
}

// Fixed: the arrivals come with an error from the source's Subscribe, whose maker closes them when
// the source ends; the tailer only reads.
func (t *tailer) start(src eventSource) error {
	var err error
	t.arrivals, err = src.Subscribe()
	if err != nil {
		return err
	}
	go t.follow()
	return nil
}

func (t *tailer) follow() {
	for l := range t.arrivals {
		_ = l
	}
}

// Stop ends the tailer but forgets the backlog it replays.
func (t *tailer) Stop() { t.err = nil }

// Leaks: both values are the tailer's own, and nothing closes the replayed it makes.
func (t *tailer) replay(seen []string) {
	t.replayed, t.err = make(chan string, len(seen)), nil
	for _, s := range seen {
		t.replayed <- s
	}
	go t.drainBacklog()
}

func (t *tailer) drainBacklog() {
	for s := range t.replayed { // want "LS008" low
		_ = s
	}
}

// openRewound makes the rewound channel itself and hands it back with an error.
func (t *tailer) openRewound() (chan string, error) { return make(chan string, 1), nil }

// Leaks: the channel comes from the tailer's own method, which never closes it.
func (t *tailer) rewind() error {
	var err error
	t.rewound, err = t.openRewound()
	if err != nil {
		return err
	}
	go t.followRewound()
	return nil
}

func (t *tailer) followRewound() {
	for l := range t.rewound { // want "LS008" low
		_ = l
	}
}
