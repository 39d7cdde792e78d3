// Package flags names the flags the inventory service reads.
package flags

const (
	OfflineSync   = "offline-sync"
	SearchBackend = "search-backend"
)
