package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Search scans the catalog and normalises every SKU it meets, because suppliers write them in
// many ways ("ab_01234 xl", "AB-1234-S", "abc 998877").

const skuPatternText = `^(?i)([a-z]{2,4})[-_ .]?(\d{3,6})(?:[-_ .]?(xxs|xs|s|m|l|xl|xxl|xxxl|\d{2}))?(?:[-_ .]?(red|blue|green|black|white|grey))?$`

var skuPattern = regexp.MustCompile(skuPatternText)

// catalog holds supplier-written SKUs and names, built once.
var catalog = buildCatalog(600)

type catalogItem struct {
	id   int
	sku  string
	name string
}

func buildCatalog(n int) []catalogItem {
	items := make([]catalogItem, n)
	for i := range items {
		items[i] = catalogItem{id: i + 1, sku: catalogSKU(i + 1), name: fmt.Sprintf("Product %d", i+1)}
	}
	return items
}

var skuPrefixes = []string{"ab", "KLM", "xy", "Desk", "tee", "ZZ", "mug", "cap"}
var skuSizes = []string{"", "xl", "-S", " m", "_xxl", "-42", ".l"}
var skuColours = []string{"", "-red", " blue", "", "_black", ""}
var skuSeparators = []string{"-", "_", " ", "", "."}

// catalogSKU writes product id's SKU the way its supplier does.
func catalogSKU(id int) string {
	return fmt.Sprintf("%s%s%05d%s%s",
		skuPrefixes[id%len(skuPrefixes)], skuSeparators[id%len(skuSeparators)], id*37%100000,
		skuSizes[id%len(skuSizes)], skuColours[id%len(skuColours)])
}

// normalizeSKU turns "ab_01234 xl" into "AB-01234-XL", or "" when s is not a SKU.
func normalizeSKU(s string) string {
	pattern := skuPattern
	if faultActive(faultCPURegexp) {
		// The bug: the pattern is compiled on every call, inside the catalog scan.
		pattern = regexp.MustCompile(skuPatternText)
	}
	m := pattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return ""
	}
	parts := []string{strings.ToUpper(m[1]), m[2]}
	for _, optional := range m[3:] {
		if optional != "" {
			parts = append(parts, strings.ToUpper(optional))
		}
	}
	return strings.Join(parts, "-")
}

type searchHit struct {
	ID   int    `json:"id"`
	SKU  string `json:"sku"`
	Name string `json:"name"`
}

func handleSearch(w http.ResponseWriter, r *http.Request) {
	query := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("q")))
	if query == "" {
		http.Error(w, "q: required", http.StatusBadRequest)
		return
	}
	hits := []searchHit{}
	for _, item := range catalog {
		sku := normalizeSKU(item.sku)
		if sku == "" {
			continue
		}
		if strings.Contains(sku, query) || strings.Contains(strings.ToUpper(item.name), query) {
			if len(hits) < 20 {
				hits = append(hits, searchHit{ID: item.id, SKU: sku, Name: item.name})
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(hits)
}
