"""Applications (звернення): intake, lifecycle, deadlines, СНАП back office, issuance."""
