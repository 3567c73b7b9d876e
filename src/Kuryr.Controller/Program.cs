// Replaced by the hosting work (Hosting/): kuryr-controller entry point.
return 0;
