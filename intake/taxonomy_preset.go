package intake

import "github.com/closeloop/closeloop/internal/preset"

// The taxonomy presets reproduce the source documents' lists as ordinary
// rules data; [PresetTaxonomy] compiles one by name. Every call returns a
// fresh value; nothing here is a shared global.
const (
	// PresetAfterSales is document 002's after-sales taxonomy: the four
	// problem types of step 2 (product fault, service experience,
	// demand/suggestion, complaint) with their examples as sub-categories,
	// plus the kinds of document 001, the channels of all documents, the
	// customer types of 003 with VIP (001), the business stages of 001 and
	// a starter set of tags. [PresetClassifier] and [PresetRouter] are
	// written for it. Its name ([Taxonomy.Name]) is "doc-002".
	PresetAfterSales = "after-sales"
	// PresetEcommerce is document 003's e-commerce taxonomy: its problem
	// types (product quality, service experience, logistics, price dispute,
	// after-sales support) with their examples as sub-categories; the other
	// lists as [PresetAfterSales]. Its name is "doc-003".
	PresetEcommerce = "ecommerce"
	// PresetEnterprise is document 004's enterprise taxonomy: its three
	// feedback types (product, service, experience) with their examples as
	// sub-categories; the other lists as [PresetAfterSales]. Its name is
	// "doc-004".
	PresetEnterprise = "enterprise"
)

// ErrUnknownPreset is returned by [PresetTaxonomy] for a name that is not
// a preset (the same sentinel as
// [closeloop.ErrUnknownPreset]).
var ErrUnknownPreset = preset.ErrUnknown

// PresetNames lists the taxonomy presets' names (the Preset constants).
func PresetNames() []string {
	return []string{PresetAfterSales, PresetEcommerce, PresetEnterprise}
}

// PresetTaxonomy returns the named taxonomy preset ([PresetAfterSales],
// [PresetEcommerce] or [PresetEnterprise]), a new value on every call. Add
// terms with [Taxonomy.WithTag], [Taxonomy.WithSubCategory] or
// [Taxonomy.WithTerm]. An unknown name is an error wrapping
// [ErrUnknownPreset].
func PresetTaxonomy(name string) (*Taxonomy, error) {
	var spec TaxonomySpec
	switch name {
	case PresetAfterSales:
		spec = afterSalesSpec()
	case PresetEcommerce:
		spec = ecommerceSpec()
	case PresetEnterprise:
		spec = enterpriseSpec()
	default:
		return nil, preset.Unknown("intake", name, PresetNames())
	}
	t, err := NewTaxonomy(spec)
	if err != nil {
		panic("intake: taxonomy preset " + name + " is invalid: " + err.Error()) // a bug in this file, caught by tests
	}
	return t, nil
}

// presetTaxonomy is PresetTaxonomy for the names this package knows.
func presetTaxonomy(name string) *Taxonomy {
	t, err := PresetTaxonomy(name)
	if err != nil {
		panic(err)
	}
	return t
}

func presetKinds() TaxonomyList {
	return TaxonomyList{Terms: []TaxonomyTerm{ // document 001: by nature
		{ID: "complaint", Names: []string{"投诉", "投訴", "complaint"}},
		{ID: "suggestion", Names: []string{"建议", "建議", "suggestion"}},
		{ID: "inquiry", Names: []string{"咨询", "諮詢", "咨詢", "inquiry", "enquiry"}},
	}}
}

func presetChannels() TaxonomyList {
	return TaxonomyList{Terms: []TaxonomyTerm{ // documents 000, 001, 002, 004
		{ID: "phone", Names: []string{"客服电话", "电话", "電話", "客服热线", "热线", "客服", "hotline"}},
		{ID: "online_chat", Names: []string{"在线客服", "在線客服", "live chat", "chat"}},
		{ID: "email", Names: []string{"邮件", "郵件", "电子邮件", "e-mail"}},
		{ID: "web_form", Names: []string{"官网表单", "官网", "APP反馈入口", "反馈入口", "app form", "web form"}},
		{ID: "survey", Names: []string{"问卷", "在线问卷", "APP内置问卷", "in-app survey"}},
		{ID: "wechat", Names: []string{"公众号留言", "公众号", "微信", "公眾號留言", "WeChat"}},
		{ID: "social_media", Names: []string{"社交媒体", "社交平台", "微博", "小红书", "social"}},
		{ID: "store", Names: []string{"门店", "网点", "门店意见簿", "store visit", "branch"}},
		{ID: "paper_form", Names: []string{"纸质反馈表", "紙質反饋表", "意见簿", "paper"}},
		{ID: "interview", Names: []string{"访谈", "訪談", "客户访谈"}},
		{ID: "mystery_shopper", Names: []string{"神秘顾客", "mystery shopping"}},
		{ID: "review_site", Names: []string{"第三方评价", "电商平台评价", "论坛", "review"}},
	}}
}

func presetTiers() TaxonomyList {
	return TaxonomyList{Terms: []TaxonomyTerm{ // document 003 customer types, 001 VIP
		{ID: "new", Names: []string{"新客户", "新客戶"}},
		{ID: "returning", Names: []string{"老客户", "老客戶"}},
		{ID: "high_value", Names: []string{"高价值客户", "高價值客戶", "重要客户"}},
		{ID: "churned", Names: []string{"流失客户", "流失客戶"}},
		{ID: "vip", Names: []string{"VIP", "VIP客户", "VIP会员"}},
	}}
}

func presetStages() TaxonomyList {
	return TaxonomyList{Terms: []TaxonomyTerm{ // document 001: business stage
		{ID: "pre_sales", Names: []string{"售前", "pre-sales"}},
		{ID: "after_sales", Names: []string{"售后", "售後", "after-sales"}},
		{ID: "tech_support", Names: []string{"技术支持", "技術支持", "technical support"}},
	}}
}

func presetTags() TaxonomyList {
	return TaxonomyList{Free: false, Terms: []TaxonomyTerm{ // documents 001, 003
		{ID: "ui_issue", Names: []string{"UI问题", "界面问题", "UI issue"}},
		{ID: "feature_defect", Names: []string{"功能缺陷", "feature defect"}},
		{ID: "unstable", Names: []string{"功能不稳定", "不稳定"}},
		{ID: "slow_response", Names: []string{"响应慢", "響應慢", "slow response"}},
		{ID: "bad_attitude", Names: []string{"态度差", "態度差"}},
		{ID: "battery", Names: []string{"电池", "電池"}},
		{ID: "installation", Names: []string{"安装", "安裝"}},
		{ID: "delivery_delay", Names: []string{"物流延迟", "配送延迟"}},
		{ID: "damaged", Names: []string{"破损", "破損"}},
	}}
}

// afterSalesSpec is PresetAfterSales.
func afterSalesSpec() TaxonomySpec {
	return TaxonomySpec{
		Name:  "doc-002",
		Kinds: presetKinds(),
		Categories: TaxonomyList{Terms: []TaxonomyTerm{
			{ID: "product_fault", Names: []string{"产品故障", "产品故障类", "產品故障類", "product fault"}, Subs: []TaxonomyTerm{
				{ID: "hardware_damage", Names: []string{"硬件损坏", "硬件損壞"}},
				{ID: "malfunction", Names: []string{"功能异常", "功能異常"}},
				{ID: "below_spec", Names: []string{"功能不达标", "功能不達標"}},
			}},
			{ID: "service_experience", Names: []string{"服务体验", "服务体验类", "服務體驗類", "service experience"}, Subs: []TaxonomyTerm{
				{ID: "attitude", Names: []string{"客服态度", "服务态度", "客服態度"}},
				{ID: "response_speed", Names: []string{"响应速度", "響應速度"}},
				{ID: "process_convenience", Names: []string{"流程便捷性", "流程便捷"}},
			}},
			{ID: "demand_suggestion", Names: []string{"需求建议", "需求建议类", "需求建議類", "demand/suggestion"}, Subs: []TaxonomyTerm{
				{ID: "feature_optimization", Names: []string{"功能优化", "功能優化"}},
				{ID: "new_feature", Names: []string{"新增需求", "新增功能"}},
				{ID: "service_improvement", Names: []string{"服务改进建议", "服務改進建議"}},
			}},
			{ID: "complaint", Names: []string{"投诉类", "投訴類"}},
		}},
		Tags:     presetTags(),
		Channels: presetChannels(),
		Tiers:    presetTiers(),
		Stages:   presetStages(),
	}
}

// ecommerceSpec is PresetEcommerce.
func ecommerceSpec() TaxonomySpec {
	return TaxonomySpec{
		Name:  "doc-003",
		Kinds: presetKinds(),
		Categories: TaxonomyList{Terms: []TaxonomyTerm{
			{ID: "product_quality", Names: []string{"产品质量", "產品質量"}, Subs: []TaxonomyTerm{
				{ID: "feature_defect", Names: []string{"功能缺陷"}},
				{ID: "unstable", Names: []string{"功能不稳定"}},
			}},
			{ID: "service_experience", Names: []string{"服务体验", "服務體驗"}, Subs: []TaxonomyTerm{
				{ID: "slow_response", Names: []string{"响应慢"}},
				{ID: "bad_attitude", Names: []string{"态度差"}},
			}},
			{ID: "logistics", Names: []string{"物流配送", "物流"}, Subs: []TaxonomyTerm{
				{ID: "delay", Names: []string{"延迟", "配送延迟"}},
				{ID: "damaged", Names: []string{"破损"}},
			}},
			{ID: "price_dispute", Names: []string{"价格争议", "價格爭議"}, Subs: []TaxonomyTerm{
				{ID: "opaque_fees", Names: []string{"费用不透明"}},
				{ID: "poor_value", Names: []string{"性价比低"}},
			}},
			{ID: "after_sales_support", Names: []string{"售后支持", "售後支持"}, Subs: []TaxonomyTerm{
				{ID: "return_difficulty", Names: []string{"退换货困难"}},
				{ID: "support_lacking", Names: []string{"技术支持不到位"}},
			}},
		}},
		Tags:     presetTags(),
		Channels: presetChannels(),
		Tiers:    presetTiers(),
		Stages:   presetStages(),
	}
}

// enterpriseSpec is PresetEnterprise.
func enterpriseSpec() TaxonomySpec {
	return TaxonomySpec{
		Name:  "doc-004",
		Kinds: presetKinds(),
		Categories: TaxonomyList{Terms: []TaxonomyTerm{
			{ID: "product", Names: []string{"产品反馈", "产品"}, Subs: []TaxonomyTerm{
				{ID: "defect", Names: []string{"功能缺陷"}},
				{ID: "performance", Names: []string{"性能问题"}},
				{ID: "request", Names: []string{"需求建议"}},
			}},
			{ID: "service", Names: []string{"服务反馈", "服务"}, Subs: []TaxonomyTerm{
				{ID: "attitude", Names: []string{"服务态度"}},
				{ID: "efficiency", Names: []string{"流程效率"}},
				{ID: "after_sales", Names: []string{"售后问题"}},
			}},
			{ID: "experience", Names: []string{"体验反馈", "体验"}, Subs: []TaxonomyTerm{
				{ID: "ui", Names: []string{"界面操作"}},
				{ID: "convenience", Names: []string{"使用便捷性"}},
				{ID: "price_perception", Names: []string{"价格感知"}},
			}},
		}},
		Tags:     presetTags(),
		Channels: presetChannels(),
		Tiers:    presetTiers(),
		Stages:   presetStages(),
	}
}
