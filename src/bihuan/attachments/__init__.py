"""Files attached to work orders: photos, videos, signatures. Checked by content, stored by hash."""
