module leakscope.example/generate

go 1.19
