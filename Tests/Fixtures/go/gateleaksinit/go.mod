module example.com/gateleaksinit

go 1.19
