"""Community offers: a directory of local services read from Open Referral UK, matched to what matters."""
