package intake

// PresetClassifierSpec returns keyword rules for the after-sales taxonomy's
// categories, built from the wording of documents 000–003 (battery and
// charging faults, installers without uniforms, slow replies, requests for
// new features, …) in simplified and traditional Chinese and in English. It
// is a starting point: hosts extend the lists with their own vocabulary.
func PresetClassifierSpec() ClassifierSpec {
	return ClassifierSpec{
		Rules: []ClassifierRule{
			{Name: "battery", Category: "product_fault", SubCategory: "malfunction", Tags: []string{"battery"},
				Keywords: []string{"电池", "電池", "充电", "充電", "续航", "續航", "battery", "charging"}},
			{Name: "hardware-damage", Category: "product_fault", SubCategory: "hardware_damage",
				Keywords: []string{"损坏", "損壞", "坏了", "破裂", "碎屏", "无法开机", "不开机", "broken", "cracked"}},
			{Name: "malfunction", Category: "product_fault", SubCategory: "malfunction", Tags: []string{"feature_defect"},
				Keywords: []string{"故障", "异常", "異常", "失灵", "报错", "闪退", "死机", "bug", "crash", "error", "not working"}},
			{Name: "performance", Category: "product_fault", SubCategory: "below_spec", Tags: []string{"unstable"},
				Keywords: []string{"卡顿", "加载慢", "加载速度慢", "超时", "不达标", "lag", "slow loading", "timeout"}},
			{Name: "installation", Category: "service_experience", Tags: []string{"installation"},
				Keywords: []string{"安装师傅", "安裝師傅", "安装服务", "上门安装", "installer"}},
			{Name: "attitude", Category: "service_experience", SubCategory: "attitude", Tags: []string{"bad_attitude"},
				Keywords: []string{"态度", "態度", "不礼貌", "未穿工服", "未主动讲解", "不耐烦", "rude", "impolite"}},
			{Name: "response-speed", Category: "service_experience", SubCategory: "response_speed", Tags: []string{"slow_response"},
				Keywords: []string{"响应慢", "回复慢", "无人回复", "没人回复", "没有回复", "等待超过", "一直等", "no reply", "no response", "waited"}},
			{Name: "process", Category: "service_experience", SubCategory: "process_convenience",
				Keywords: []string{"流程繁琐", "手续繁琐", "太麻烦", "繁琐", "complicated process"}},
			{Name: "ui", Category: "demand_suggestion", SubCategory: "feature_optimization", Tags: []string{"ui_issue"},
				Keywords: []string{"界面", "夜间模式", "配色", "interface", "dark mode", "ui"}},
			{Name: "suggestion", Category: "demand_suggestion", SubCategory: "feature_optimization",
				Keywords: []string{"建议", "建議", "希望", "能否", "可否", "优化", "suggest", "would be nice", "please add"}},
			{Name: "new-feature", Category: "demand_suggestion", SubCategory: "new_feature",
				Keywords: []string{"增加功能", "新增功能", "增加", "支持导出", "feature request"}},
			{Name: "complaint", Category: "complaint", Weight: 2,
				Keywords: []string{"投诉", "投訴", "索赔", "赔偿", "退款", "曝光", "12315", "complaint", "refund", "compensation"}},
		},
		Sentiment: SentimentKeywords{
			Satisfied: []string{"满意", "滿意", "很专业", "很專業", "速度快", "感谢", "感謝", "谢谢", "好评", "点赞",
				"satisfied", "thank you", "thanks", "great", "excellent"},
			Dissatisfied: []string{"不满意", "不滿意", "不太满意", "不满", "失望", "太差", "差评", "很差", "生气", "气愤",
				"无效", "無效", "不专业", "垃圾", "投诉", "disappointed", "terrible", "angry", "unhappy", "worst", "useless"},
		},
	}
}

// PresetClassifier compiles [PresetClassifierSpec] against the after-sales
// taxonomy ([PresetAfterSales]).
func PresetClassifier() *Classifier {
	c, err := NewClassifier(PresetClassifierSpec(), presetTaxonomy(PresetAfterSales))
	if err != nil {
		panic("intake: preset classifier is invalid: " + err.Error()) // a bug in this file, caught by tests
	}
	return c
}
