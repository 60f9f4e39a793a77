module leakscope/fixtures/report

go 1.19
