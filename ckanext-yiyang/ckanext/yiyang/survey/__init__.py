"""The survey forms of the 2015 notice as Excel workbooks: 附件2 数据需求调研表, 附件3 数据提供调查表
and 附件4 分管负责人及联络人名单 — the templates units fill in (and, later, import)."""
