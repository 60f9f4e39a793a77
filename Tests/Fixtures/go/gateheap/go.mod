module example.com/gateheap

go 1.19
