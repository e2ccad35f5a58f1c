"""ckanext-yiyang: the government information resource catalog and sharing platform of 益阳市."""
