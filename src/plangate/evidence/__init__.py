"""The evidence report for auditors: what was checked, each control's result, every waiver."""
