"""Reading meaning into an entry's values: dates, times, people, links, HTML, template code."""
