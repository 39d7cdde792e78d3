module example.com/acme/inventory

go 1.22

require github.com/open-feature/go-sdk v1.14.0
