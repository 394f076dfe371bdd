-- Run once by the postgres image on an empty volume: the two databases the services use.
CREATE DATABASE likepion;
CREATE DATABASE runway_runs;
