"""Results from levels above the city (上级成绩): the city's recommendations to the prefecture, province,
nation and international contests, and the results that come back (services.honours.results).
"""
