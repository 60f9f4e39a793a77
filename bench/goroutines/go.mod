module leakscope/bench/goroutines

go 1.27
