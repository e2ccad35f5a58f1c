"""The portal's own pages: the home page's statistics and the office's notices, and the guide
(使用指南) for each role."""
