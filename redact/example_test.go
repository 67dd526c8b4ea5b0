package redact_test

import (
	"fmt"

	"github.com/closeloop/closeloop/redact"
)

func ExampleRedactor_Redact() {
	r := redact.Default()
	fmt.Println(r.Redact("张三丰（13856785678，zhang@example.com）住北京市朝阳区建国路88号1201室，身份证11010519491231002X", "张三丰"))
	fmt.Println(r.Redact("F20240301001 于 2024-03-01 10:30:00 受理，座机 010-62345678"))
	// Output:
	// 张**（138****5678，z****@example.com）住北京市朝阳区***********，身份证110***********002X
	// F20240301001 于 2024-03-01 10:30:00 受理，座机 010-****5678
}

func ExampleParse() {
	r, err := redact.Parse([]byte(`{"mask":"•","keep":{"phone":{"first":0,"last":4}}}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Redact("call +86 138 5678 1234"))
	// Output:
	// call +•• ••• •••• 1234
}
