"""The service catalog: spheres, life situations, versioned services with ІК and ТК, fees, approved lists, search."""
