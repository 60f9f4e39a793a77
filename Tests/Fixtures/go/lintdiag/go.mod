module example.com/lintdiag

go 1.19
