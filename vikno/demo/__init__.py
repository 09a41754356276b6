"""The demo region loaded by `make run`: one oblast, three hromadas, their centers, providers, staff."""
