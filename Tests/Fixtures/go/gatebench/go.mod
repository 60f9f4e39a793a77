module example.com/gatebench

go 1.19
