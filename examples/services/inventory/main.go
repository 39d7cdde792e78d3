// The inventory service: reads the shop's flags through OpenFeature's Go SDK.
package main

import (
	"context"
	"fmt"
	"net/http"

	"example.com/acme/inventory/internal/flags"
	"github.com/open-feature/go-sdk/openfeature"
)

var client = openfeature.NewClient("inventory")

func stock(w http.ResponseWriter, r *http.Request) {
	ctx := context.Background()
	user := openfeature.NewEvaluationContext(r.Header.Get("x-user-id"), nil)
	backend, _ := client.StringValue(ctx, flags.SearchBackend, "postgres", user)
	limits, _ := client.ObjectValue(ctx, "api-rate-limits", map[string]any{}, user)
	offline, _ := client.BooleanValue(ctx, flags.OfflineSync, false, user)
	fmt.Fprintln(w, backend, limits, offline)
}

func main() {
	http.HandleFunc("/stock", stock)
	_ = http.ListenAndServe(":8080", nil)
}
