"""iJw ingestion: iStandaard iJw 3.x XML messages and the flat CSV export -> source tables (bron_*)."""
