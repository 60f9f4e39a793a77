module example.com/gateserver

go 1.19
