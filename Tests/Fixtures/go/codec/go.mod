module leakscope/fixtures/codec

go 1.19
