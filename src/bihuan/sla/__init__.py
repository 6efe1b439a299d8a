"""SLA: business calendars, response/resolution deadlines and their sweeper."""
