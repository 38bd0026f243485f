"""Readers for the public census files the displacement method uses (ACS tables from the Census Data
API or a data.census.gov export, TIGER/Line tract boundaries, the 2010→2020 relationship file) and
the paced, resumable fetch from the Census Data API. They check everything and return plain data;
the app's services write it, all or nothing."""
