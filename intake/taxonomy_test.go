package intake

import (
	"errors"
	"sync"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTaxonomyResolve(t *testing.T) {
	tax := presetTaxonomy(PresetAfterSales)
	tests := []struct {
		dim   TaxonomyDimension
		value string
		want  string
		err   bool
	}{
		{DimensionCategory, "产品故障类", "product_fault", false},
		{DimensionCategory, "產品故障類", "product_fault", false},
		{DimensionCategory, "Product Fault", "product_fault", false},
		{DimensionCategory, " PRODUCT-FAULT ", "product_fault", false},
		{DimensionCategory, "服务体验类", "service_experience", false},
		{DimensionCategory, "logistics", "", true},
		{DimensionKind, "投诉", "complaint", false},
		{DimensionKind, "咨询", "inquiry", false},
		{DimensionChannel, "客服", "phone", false},
		{DimensionChannel, "在线客服", "online_chat", false},
		{DimensionChannel, "公众号留言", "wechat", false},
		{DimensionChannel, "carrier pigeon", "", true},
		{DimensionTier, "高价值客户", "high_value", false},
		{DimensionTier, "vip", "vip", false},
		{DimensionStage, "售前", "pre_sales", false},
		{DimensionTag, "UI问题", "ui_issue", false},
		{DimensionTag, "packaging", "", true},
		{DimensionSubCategory, "x", "", true},
	}
	for _, tc := range tests {
		t.Run(string(tc.dim)+"/"+tc.value, func(t *testing.T) {
			got, err := tax.Resolve(tc.dim, tc.value)
			if tc.err {
				var uv *UnknownValueError
				require.ErrorAs(t, err, &uv)
				assert.ErrorIs(t, err, ErrUnknownValue)
				assert.Equal(t, tc.dim, uv.Dimension)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	sub, err := tax.ResolveSubCategory("product_fault", "功能异常")
	require.NoError(t, err)
	assert.Equal(t, "malfunction", sub)
	_, err = tax.ResolveSubCategory("service_experience", "功能异常")
	assert.ErrorIs(t, err, ErrUnknownValue)
	assert.Equal(t, "产品故障", tax.Label(DimensionCategory, "product_fault"))
	assert.Equal(t, "nope", tax.Label(DimensionCategory, "nope"))
}

func TestTaxonomyExtendIsCopyOnWrite(t *testing.T) {
	base := presetTaxonomy(PresetEcommerce)
	// Document 003: "dynamically add a packaging tag".
	ext, err := base.WithTag("packaging", "包装问题", "包装")
	require.NoError(t, err)
	got, err := ext.Resolve(DimensionTag, "包装")
	require.NoError(t, err)
	assert.Equal(t, "packaging", got)
	_, err = base.Resolve(DimensionTag, "包装")
	assert.ErrorIs(t, err, ErrUnknownValue, "the original taxonomy is unchanged")

	ext2, err := ext.WithSubCategory("logistics", TaxonomyTerm{ID: "lost", Names: []string{"丢件"}})
	require.NoError(t, err)
	got, err = ext2.ResolveSubCategory("logistics", "丢件")
	require.NoError(t, err)
	assert.Equal(t, "lost", got)
	assert.Equal(t, []string{"delay", "damaged"}, ext.SubCategoryIDs("logistics"))

	_, err = ext.WithTag("packaging")
	var pe *rulesjson.PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.tags.terms[10].id", pe.Path)
	_, err = ext.WithSubCategory("nope", TaxonomyTerm{ID: "x"})
	assert.ErrorIs(t, err, ErrUnknownValue)
	_, err = ext.WithTerm(DimensionSubCategory, TaxonomyTerm{ID: "x"})
	assert.Error(t, err)
	k, err := ext.WithTerm(DimensionKind, TaxonomyTerm{ID: "praise", Names: []string{"表扬"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"complaint", "suggestion", "inquiry", "praise"}, k.IDs(DimensionKind))

	// Readers of a shared taxonomy race with nobody: extension makes new values.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				_, _ = base.Resolve(DimensionCategory, "物流")
				_, _ = base.WithTag("t", "tag")
			}
		}()
	}
	wg.Wait()
}

func TestTaxonomyFreeValues(t *testing.T) {
	tax, err := ParseTaxonomy([]byte(`{
		"name": "mine",
		"kinds": {"terms": [{"id": "complaint"}]},
		"categories": {"terms": [{"id": "quality", "names": ["质量"], "subs": [{"id": "scratch"}]}], "free_subs": true},
		"tags": {"free": true},
		"channels": {"terms": [{"id": "phone"}]},
		"tiers": {"terms": []},
		"stages": {}
	}`))
	require.NoError(t, err)
	assert.Equal(t, "mine", tax.Name())
	got, err := tax.Resolve(DimensionTag, "anything goes")
	require.NoError(t, err)
	assert.Equal(t, "anything goes", got)
	got, err = tax.ResolveSubCategory("quality", "dent")
	require.NoError(t, err)
	assert.Equal(t, "dent", got)
	assert.True(t, tax.Free(DimensionTag))
	assert.True(t, tax.Free(DimensionSubCategory))
	assert.False(t, tax.Free(DimensionChannel))
	_, err = tax.Resolve(DimensionChannel, "fax")
	assert.ErrorIs(t, err, ErrUnknownValue)
	spec := tax.Spec()
	spec.Categories.Terms[0].Subs[0].ID = "mutated"
	assert.Equal(t, []string{"scratch"}, tax.SubCategoryIDs("quality"), "Spec returns a deep copy")
}

func TestTaxonomyBadSpecs(t *testing.T) {
	tests := []struct{ json, path string }{
		{`{"kinds":{"terms":[{"id":""}]}}`, "$.kinds.terms[0].id"},
		{`{"kinds":{"terms":[{"id":"a"},{"id":"a"}]}}`, "$.kinds.terms[1].id"},
		{`{"kinds":{"terms":[{"id":"a"},{"id":"b","names":["A"]}]}}`, "$.kinds.terms[1].names[0]"},
		{`{"tags":{"terms":[{"id":"a","subs":[{"id":"b"}]}]}}`, "$.tags.terms[0].subs"},
		{`{"tags":{"free_subs":true}}`, "$.tags.free_subs"},
		{`{"categories":{"terms":[{"id":"a","subs":[{"id":"x"},{"id":"x"}]}]}}`, "$.categories.terms[0].subs[1].id"},
		{`{"channels":{"terms":[{"id":"a\u0007"}]}}`, "$.channels.terms[0].id"},
		{`{"channels":{"terms":[{"id":"a","names":[" - "]}]}}`, "$.channels.terms[0].names[0]"},
		{`{"channels":{"terms":[{"id":"a","colour":"red"}]}}`, "$.channels.terms[0]"},
		{`{"channels":[]}`, "$.channels"},
		{`{} {}`, "$"},
	}
	for _, tc := range tests {
		_, err := ParseTaxonomy([]byte(tc.json))
		var pe *rulesjson.PathError
		require.True(t, errors.As(err, &pe), "%s: %v", tc.json, err)
		assert.Contains(t, pe.Path, tc.path, "%s: %v", tc.json, err)
	}
}

func TestPresetTaxonomies(t *testing.T) {
	for _, tax := range []*Taxonomy{presetTaxonomy(PresetAfterSales), presetTaxonomy(PresetEcommerce), presetTaxonomy(PresetEnterprise)} {
		assert.NotEmpty(t, tax.IDs(DimensionCategory), tax.Name())
		assert.Len(t, tax.IDs(DimensionChannel), 12, tax.Name())
		assert.Len(t, tax.IDs(DimensionTier), 5, tax.Name())
		assert.Len(t, tax.IDs(DimensionStage), 3, tax.Name())
		assert.Len(t, tax.IDs(DimensionKind), 3, tax.Name())
	}
	assert.Equal(t, []string{"product_fault", "service_experience", "demand_suggestion", "complaint"}, presetTaxonomy(PresetAfterSales).IDs(DimensionCategory))
	assert.Equal(t, []string{"product_quality", "service_experience", "logistics", "price_dispute", "after_sales_support"}, presetTaxonomy(PresetEcommerce).IDs(DimensionCategory))
	assert.Equal(t, []string{"product", "service", "experience"}, presetTaxonomy(PresetEnterprise).IDs(DimensionCategory))
	assert.Equal(t, []string{"doc-002", "doc-003", "doc-004"},
		[]string{presetTaxonomy(PresetAfterSales).Name(), presetTaxonomy(PresetEcommerce).Name(), presetTaxonomy(PresetEnterprise).Name()})
	for _, name := range PresetNames() {
		a, err := PresetTaxonomy(name)
		require.NoError(t, err, name)
		b, _ := PresetTaxonomy(name)
		assert.NotSame(t, a, b, "a new value on every call")
	}
	_, err := PresetTaxonomy("doc-002")
	assert.ErrorIs(t, err, ErrUnknownPreset)
	assert.ErrorContains(t, err, `unknown preset "doc-002" (have after-sales, ecommerce, enterprise)`)
}
