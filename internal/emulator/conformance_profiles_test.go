package emulator_test

// aws-sdk-go-v2 service/bedrock (the control plane) against the emulator:
// ListInferenceProfiles through the SDK's paginator, the type filter, and
// GetInferenceProfile by ID and by ARN.

import (
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/basalt-dev/basalt/internal/emulator"
)

func confControl(baseURL string) *bedrock.Client {
	return bedrock.New(bedrock.Options{
		Region:           confRegion,
		Credentials:      confStaticCreds(),
		BaseEndpoint:     aws.String(baseURL),
		RetryMaxAttempts: 1,
	})
}

// profileView is what the tests compare of a summary; the SDK types carry
// unexported document fields that cmp cannot see into.
type profileView struct {
	ID, ARN, Name, Status, Type string
	Models                      []string
}

func viewSummary(s types.InferenceProfileSummary) profileView {
	v := profileView{
		ID: aws.ToString(s.InferenceProfileId), ARN: aws.ToString(s.InferenceProfileArn),
		Name: aws.ToString(s.InferenceProfileName), Status: string(s.Status), Type: string(s.Type),
	}
	for _, m := range s.Models {
		v.Models = append(v.Models, aws.ToString(m.ModelArn))
	}
	return v
}

func TestConformanceListInferenceProfiles(t *testing.T) {
	t.Parallel()
	url := confStart(t, emulator.Options{}).URL
	client := confControl(url)

	all, err := client.ListInferenceProfiles(t.Context(), &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(1000)})
	if err != nil {
		t.Fatalf("ListInferenceProfiles: %v", err)
	}
	if all.NextToken != nil {
		t.Errorf("NextToken = %q with maxResults=1000, want none", *all.NextToken)
	}
	var want []profileView
	for _, s := range all.InferenceProfileSummaries {
		want = append(want, viewSummary(s))
	}
	if len(want) < 3 {
		t.Fatalf("only %d profiles served; the pagination test needs at least 3", len(want))
	}
	for _, p := range want {
		if p.ID == "" || p.ARN == "" || p.Name == "" || p.Status != "ACTIVE" || len(p.Models) == 0 {
			t.Errorf("summary lacks a required field: %+v", p)
		}
		if p.Type != "SYSTEM_DEFINED" && p.Type != "APPLICATION" {
			t.Errorf("summary %s has type %q", p.ID, p.Type)
		}
	}
	if !slices.ContainsFunc(want, func(p profileView) bool { return p.ID == confModel }) {
		t.Errorf("default table for %s lacks %s", confRegion, confModel)
	}

	t.Run("paginator", func(t *testing.T) {
		t.Parallel()
		pager := bedrock.NewListInferenceProfilesPaginator(client, &bedrock.ListInferenceProfilesInput{}, func(o *bedrock.ListInferenceProfilesPaginatorOptions) {
			o.Limit = 2
			o.StopOnDuplicateToken = true
		})
		var got []profileView
		pages := 0
		for pager.HasMorePages() {
			page, err := pager.NextPage(t.Context())
			if err != nil {
				t.Fatalf("page %d: %v", pages+1, err)
			}
			pages++
			if n := len(page.InferenceProfileSummaries); n > 2 {
				t.Errorf("page %d has %d summaries with maxResults=2", pages, n)
			}
			for _, s := range page.InferenceProfileSummaries {
				got = append(got, viewSummary(s))
			}
			if pages > 1000 {
				t.Fatal("paginator does not end")
			}
		}
		if wantPages := (len(want) + 1) / 2; pages != wantPages {
			t.Errorf("%d pages for %d profiles with maxResults=2, want %d", pages, len(want), wantPages)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("paginated union mismatch (-want +got):\n%s", diff)
		}
	})

	for _, typ := range []types.InferenceProfileType{types.InferenceProfileTypeSystemDefined, types.InferenceProfileTypeApplication} {
		t.Run("type "+string(typ), func(t *testing.T) {
			t.Parallel()
			var got []profileView
			pager := bedrock.NewListInferenceProfilesPaginator(client, &bedrock.ListInferenceProfilesInput{TypeEquals: typ}, func(o *bedrock.ListInferenceProfilesPaginatorOptions) { o.Limit = 3 })
			for pager.HasMorePages() {
				page, err := pager.NextPage(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range page.InferenceProfileSummaries {
					got = append(got, viewSummary(s))
				}
			}
			var wantTyped []profileView
			for _, p := range want {
				if p.Type == string(typ) {
					wantTyped = append(wantTyped, p)
				}
			}
			if typ == types.InferenceProfileTypeSystemDefined && len(wantTyped) == 0 {
				t.Fatal("no SYSTEM_DEFINED profile served")
			}
			if diff := cmp.Diff(wantTyped, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("type=%s mismatch (-want +got):\n%s", typ, diff)
			}
		})
	}

	t.Run("get", func(t *testing.T) {
		t.Parallel()
		for _, p := range want {
			for _, ident := range []string{p.ID, p.ARN} {
				out, err := client.GetInferenceProfile(t.Context(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(ident)})
				if err != nil {
					t.Errorf("GetInferenceProfile(%s): %v", ident, err)
					continue
				}
				got := profileView{
					ID: aws.ToString(out.InferenceProfileId), ARN: aws.ToString(out.InferenceProfileArn),
					Name: aws.ToString(out.InferenceProfileName), Status: string(out.Status), Type: string(out.Type),
				}
				for _, m := range out.Models {
					got.Models = append(got.Models, aws.ToString(m.ModelArn))
				}
				if diff := cmp.Diff(p, got); diff != "" {
					t.Errorf("GetInferenceProfile(%s) mismatch (-want +got):\n%s", ident, diff)
				}
			}
		}
	})

	t.Run("get unknown", func(t *testing.T) {
		t.Parallel()
		_, err := client.GetInferenceProfile(t.Context(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("us.anthropic.claude-nonexistent-9-v1:0")})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Fatalf("GetInferenceProfile(unknown) = %T %v, want *types.ResourceNotFoundException", err, err)
		}
	})
}
