module example.com/gateleaks

go 1.19
