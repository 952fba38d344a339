"""Measuring counterclaim against gold data (PolNeAR attributions, ...)."""
