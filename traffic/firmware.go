package traffic

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

// maxReport bounds the JSON report read for --firmware-report.
const maxReport = 256 << 20

// FirmwareEndpoints reads a JSON report written by `doorman scan` and
// returns the endpoints baked into the scanned firmware: the inventory's
// "endpoints" (URLs and addresses found in any file) and the endpoints of
// each executable in "binaries". The detectors cross-check them with what
// the device contacts.
func FirmwareEndpoints(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rep struct {
		Command   string `json:"command"`
		Inventory struct {
			Endpoints []struct {
				Value string `json:"value"`
				Host  string `json:"host"`
			} `json:"endpoints"`
			Binaries []struct {
				Endpoints []string `json:"endpoints"`
			} `json:"binaries"`
		} `json:"inventory"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxReport)).Decode(&rep); err != nil {
		return nil, fmt.Errorf("not a doorman JSON report: %w", err)
	}
	if rep.Command != "scan" {
		return nil, fmt.Errorf("not a report of doorman scan (command %q): scan the firmware with --format json first", rep.Command)
	}
	set := map[string]bool{}
	for _, e := range rep.Inventory.Endpoints {
		if e.Value != "" {
			set[e.Value] = true
		}
		if e.Host != "" {
			set[e.Host] = true
		}
	}
	for _, b := range rep.Inventory.Binaries {
		for _, e := range b.Endpoints {
			set[e] = true
		}
	}
	out := make([]string, 0, len(set))
	for e := range set {
		out = append(out, e)
	}
	sort.Strings(out)
	return out, nil
}
