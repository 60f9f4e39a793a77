module leakscope.bench/gen

go 1.19
