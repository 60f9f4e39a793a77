package metrics

import "testing"

func TestSubscribeStopped(t *testing.T) {
	stop := Subscribe(func(int) {})
	stop()
}

func TestSubscribeForgotten(t *testing.T) {
	_ = Subscribe(func(int) {})
}
