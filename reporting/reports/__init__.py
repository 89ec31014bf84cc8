"""Reports made in the background: the Vækstforum progress report (PDF) and the semi-annual ESF
status (XLSX or PDF). See docs/architecture.md, *Reports*."""
