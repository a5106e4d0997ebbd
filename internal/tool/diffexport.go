package tool

// DiffText is the change from old to new as the tools show it: hunks with
// the file's own line numbers and a few unchanged lines around each
// change, so a permission prompt can show a proposed change exactly as
// the result will.
func DiffText(path, old, new string) *FileDiff {
	return diffFile(path, old, new, false)
}
